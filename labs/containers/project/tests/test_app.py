from fastapi.testclient import TestClient

import app


def test_health():
    with TestClient(app.app) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["model_version"] == app.MODEL_VERSION


def test_rejects_an_impossible_hour():
    with TestClient(app.app) as client:
        response = client.post("/v1/predict", json={"amount": 10, "merchant_category": 5411, "hour": 27, "country": "BE"})
    assert response.status_code == 422
