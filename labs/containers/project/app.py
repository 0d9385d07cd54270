"""The fraud-detector API of the course: a scikit-learn pipeline behind FastAPI."""
import os
from contextlib import asynccontextmanager

import joblib
import pandas as pd
from fastapi import FastAPI
from pydantic import BaseModel, Field

MODEL_PATH = os.environ.get("MODEL_PATH", "model/pipeline.joblib")
MODEL_VERSION = "fraud-detector:14"
state = {}


class Transaction(BaseModel):
    amount: float = Field(ge=0)
    merchant_category: int = Field(ge=0, le=9999)
    hour: int = Field(ge=0, le=23)
    country: str = Field(min_length=2, max_length=2)


class Prediction(BaseModel):
    fraud_probability: float
    model_version: str


@asynccontextmanager
async def lifespan(app: FastAPI):
    state["model"] = joblib.load(MODEL_PATH)  # load once, before serving traffic
    yield
    state.clear()


app = FastAPI(lifespan=lifespan)


@app.get("/healthz")
def healthz() -> dict:
    return {"status": "ok", "model_version": MODEL_VERSION}


@app.post("/v1/predict")
def predict(tx: Transaction) -> Prediction:
    features = pd.DataFrame([tx.model_dump()])
    p = float(state["model"].predict_proba(features)[0, 1])
    return Prediction(fraud_probability=p, model_version=MODEL_VERSION)
