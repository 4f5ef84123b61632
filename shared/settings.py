"""Settings every app shares: one pydantic-settings class per app, env prefix per service.

Platform-wide values (broker, secrets, environment) are read from ``MINSHENG_*`` variables by every app;
service-local ones (its database) from the service's own prefix, e.g. ``JOBS_DATABASE_URL``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_INTERNAL_TOKEN_SECRET = "dev-internal-token-secret-change-me-0000"
DEV_PERSON_REF_KEY = "dev-person-ref-key-change-me-000000000000"
DEV_JWT_SECRET = "dev-jwt-secret-change-me-0000000000000000"

Environment = Literal["development", "test", "production"]


def platform_field(name: str, default, **kwargs):
    """A field read from ``MINSHENG_<NAME>`` whatever the app's own prefix is."""
    return Field(default, validation_alias=f"MINSHENG_{name.upper()}", **kwargs)


class PlatformSettings(BaseSettings):
    """Values every app (gateway and services) reads the same way."""

    model_config = SettingsConfigDict(extra="ignore", validate_by_name=True, validate_by_alias=True)

    environment: Environment = platform_field("environment", "development")
    broker_url: str = platform_field("broker_url", "amqp://guest:guest@localhost:5672/")
    # auto: RabbitMQ when reachable, else the in-process bus (said loudly at start-up).
    event_bus: Literal["auto", "rabbitmq", "memory"] = platform_field("event_bus", "auto")
    # Namespaces exchanges and queues, so that tests (and tenants) never meet.
    event_prefix: str = platform_field("event_prefix", "")
    internal_token_secret: SecretStr = platform_field("internal_token_secret", SecretStr(DEV_INTERNAL_TOKEN_SECRET))
    person_ref_key: SecretStr = platform_field("person_ref_key", SecretStr(DEV_PERSON_REF_KEY))
    log_level: str = platform_field("log_level", "INFO")
    log_json: bool = platform_field("log_json", True)

    def _refuse_default_secrets(self, *pairs: tuple[str, SecretStr, str]) -> None:
        if self.environment != "production":
            return
        bad = [name for name, value, default in pairs if value.get_secret_value() == default]
        if bad:
            raise ValueError(f"refusing to start in production with default secrets: {', '.join(bad)}")

    @model_validator(mode="after")
    def _no_default_secrets_in_production(self):
        self._refuse_default_secrets(
            ("MINSHENG_INTERNAL_TOKEN_SECRET", self.internal_token_secret, DEV_INTERNAL_TOKEN_SECRET),
            ("MINSHENG_PERSON_REF_KEY", self.person_ref_key, DEV_PERSON_REF_KEY),
        )
        return self


class ServiceSettings(PlatformSettings):
    """Base of each service's settings; a subclass sets ``env_prefix`` and the default database file."""

    database_url: str = "sqlite+aiosqlite:///./var/service.db"
    database_pool_size: int = 10
    outbox_sweep_seconds: float = 1.0
    outbox_batch_size: int = 200
    # Published outbox rows and handled-event inbox rows are deleted after these many days (see
    # shared/events/housekeeping.py), checked every housekeeping interval.
    outbox_keep_published_days: float = Field(7.0, gt=0)
    inbox_keep_days: float = Field(30.0, gt=0)
    event_housekeeping_seconds: float = Field(3600.0, gt=0)
    # Deliveries of one message before it is dead-lettered (quorum queue x-delivery-limit).
    delivery_limit: int = 5
    consumer_prefetch: int = 64
