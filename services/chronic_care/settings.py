from pydantic_settings import SettingsConfigDict

from shared.settings import ServiceSettings


class Settings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="CHRONIC_CARE_", extra="ignore", validate_by_name=True,
                                      validate_by_alias=True)

    database_url: str = "sqlite+aiosqlite:///./var/chronic_care.db"
