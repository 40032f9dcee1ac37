"""Runtime settings, read once from the environment (prefix ``VACTAG_``).

List settings take a comma-separated string (``VACTAG_API_KEYS=k1,k2``) rather
than pydantic-settings' default JSON, because that is what people type in a
shell or a Compose file.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

CommaList = Annotated[list[str], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VACTAG_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = Field(8000, ge=1, le=65535)
    max_body_bytes: int = Field(1_000_000, ge=1)
    max_text_chars: int = Field(200_000, ge=1)
    batch_limit: int = Field(1000, ge=1)
    api_keys: CommaList = []
    api_keys_file: Path | None = None
    cors_origins: CommaList = []
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    bench_endpoints: bool = False  # POST /v1/noop: the framework ceiling for bench/; never in production

    @field_validator("api_keys", "cors_origins", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("api_keys_file", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    def keys(self) -> list[str]:
        """Every accepted API key: the list plus one key per non-empty line of the file."""
        keys = list(self.api_keys)
        if self.api_keys_file is not None:
            text = self.api_keys_file.read_text(encoding="utf-8")
            from_file = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
            if not from_file:  # fail closed: a configured but empty key file must not leave the API open
                raise ValueError(f"VACTAG_API_KEYS_FILE {self.api_keys_file} holds no keys")
            keys += from_file
        return keys


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
