from pydantic import Field
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="JOBS_", extra="ignore", validate_by_name=True,
                                      validate_by_alias=True)

    database_url: str = "sqlite+aiosqlite:///./var/jobs.db"
    # Proactive service: a seeker in the loop with no contact for this many days is flagged on the worklist.
    no_contact_days: int = Field(30, ge=1, le=365)
    # A job recommendation not acted on within this many days expires.
    recommendation_ttl_days: int = Field(14, ge=1, le=180)
    # How often the background sweep expires stale recommendations (seconds; 0 disables it).
    expiry_sweep_seconds: float = Field(3600.0, ge=0)
