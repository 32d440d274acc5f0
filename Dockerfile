# Jeugdmonitor: one container, configured from the environment.
#   docker build -t jeugdmonitor .
#   docker run -p 8050:8050 -e DATABASE_URL=postgresql://… -e REDIS_URL=redis://… \
#              -e SECRET_KEY=… -e JEUGDMONITOR_ENV=production jeugdmonitor
# (Docker does not run on the build machines; CI runs the same gunicorn command outside Docker.)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8050
WORKDIR /app

# The PDF report: pango for WeasyPrint and local fonts (its charts are drawn as SVG in Python).
RUN apt-get update && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, in their own cached layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 jeugdmonitor && chown -R jeugdmonitor /app
USER jeugdmonitor

EXPOSE 8050
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8050/gezondheid', timeout=4).status == 200 else 1)"
CMD ["python", "-m", "dashboard.server.serve"]
