from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings

# How long a raised work order may wait for an acknowledgement at each level of the duty chain, by severity
# (seconds). A smoke or gas alarm in an old person's flat cannot wait like a low battery can.
DEFAULT_ACK_LIMITS = {"critical": 180, "high": 600, "medium": 1800, "low": 14400}
# Who is asked when nobody is named for a community: duty posts, lowest first.
DEFAULT_DUTY_CHAIN = ["post:grid-worker", "post:community-duty-officer", "post:community-secretary",
                      "post:street-emergency-office"]


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="COMMUNITY_", extra="ignore", validate_by_name=True,
                                      validate_by_alias=True)

    database_url: str = "sqlite+aiosqlite:///./var/community.db"
    # Escalation: per-severity acknowledgement limit (JSON in COMMUNITY_ACK_LIMITS_SECONDS; missing keys keep
    # their default) and how often the background sweep looks for overdue work orders (0 disables it).
    ack_limits_seconds: dict[str, int] = Field(default_factory=lambda: dict(DEFAULT_ACK_LIMITS))
    default_duty_chain: list[str] = Field(default_factory=lambda: list(DEFAULT_DUTY_CHAIN), min_length=1)
    escalation_sweep_seconds: float = Field(5.0, ge=0)
    # Walking model of the 15-minute circle: GB 50180-2018 sizes the 15-minute living circle at 800-1000 m
    # of walking; 4 km/h (66.7 m/min) gives 1000 m, and streets are ~1.3x longer than the straight line.
    walking_speed_m_per_min: float = Field(66.7, gt=10, lt=200)
    walking_detour_factor: float = Field(1.3, ge=1.0, le=3.0)
    # Live feed: how often a stream looks for changes made by other replicas, how long one stream lives
    # before the client reconnects (EventSource does so by itself, resuming from Last-Event-ID), and how
    # long feed rows are kept.
    feed_poll_seconds: float = Field(1.0, gt=0)
    feed_stream_seconds: float = Field(120.0, gt=0)
    feed_retention_days: int = Field(14, ge=1)

    @field_validator("ack_limits_seconds")
    @classmethod
    def _known_severities(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = set(value) - set(DEFAULT_ACK_LIMITS)
        if unknown:
            raise ValueError(f"unknown severities: {', '.join(sorted(unknown))}")
        if any(v <= 0 for v in value.values()):
            raise ValueError("limits are positive numbers of seconds")
        return {**DEFAULT_ACK_LIMITS, **value}
