"""vactag: reads Russian support-job ads."""
__version__ = "0.2.0"
