# Agora application image: one ASGI worker per container (scale with several containers).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    AGORA_ENV=production AGORA_VAR_DIR=/var/lib/agora
WORKDIR /app

# The application's dependencies as locked, hashes checked (requirements.txt, from `make lock`).
COPY pyproject.toml requirements.txt ./
RUN pip install --require-hashes -r requirements.txt && pip install --no-deps . \
    && useradd --system --home /app agora && mkdir -p /var/lib/agora && chown agora /var/lib/agora
COPY . .
# collectstatic needs a key to import settings; this one is used for nothing else.
RUN SECRET_KEY=build-only-build-only-build-only-build-only-build-only-x ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput --verbosity 0

USER agora
EXPOSE 8000
# `serve` runs uvicorn, as `make demo` and the tests do (docs/performance.md).
CMD ["python", "manage.py", "serve", "--host", "0.0.0.0", "--port", "8000"]
