FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
# Runtime dependencies only (pyproject's list, pinned by the lock `make venv` installs), before the code so
# code changes reuse this layer; the lock's dev/test packages stay out of the image.
COPY requirements.lock pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/runtime.txt \
    && pip install -c requirements.lock -r /tmp/runtime.txt

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
