# Jeugdmonitor: one container, configured from the environment.
#   docker build -t jeugdmonitor .
#   docker run -p 8050:8050 -e DATABASE_URL=postgresql://… jeugdmonitor
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 HOST=0.0.0.0 PORT=8050
WORKDIR /app

# Dependencies first, in their own cached layer.
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --create-home --uid 10001 jeugdmonitor && chown -R jeugdmonitor /app
USER jeugdmonitor

EXPOSE 8050
CMD ["python", "app.py"]
