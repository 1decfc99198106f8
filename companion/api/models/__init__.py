"""Pydantic request and response models of the HTTP API; /v1/openapi.json is generated from them."""
