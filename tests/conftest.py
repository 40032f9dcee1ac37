import os
from pathlib import Path

import pytest

from service.pipeline import default_pipeline

SHARED_DATA = Path(os.environ.get("VACTAG_SHARED_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


@pytest.fixture(scope="session")
def pipeline():
    return default_pipeline()
