FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Dependencies first (pinned, as in `make venv`), so code changes reuse this layer.
COPY requirements.lock ./
RUN pip install -r requirements.lock

COPY pyproject.toml ./
COPY service ./service
COPY rules ./rules
COPY models ./models
# Editable, like `make venv`: the pipeline reads rules/ and models/ next to the service package.
RUN pip install --no-deps -e . \
    && useradd --system --uid 10001 --no-create-home vactag

USER vactag
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2)"
CMD ["vactag", "serve", "--host", "0.0.0.0"]
