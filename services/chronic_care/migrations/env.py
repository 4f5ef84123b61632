from services.chronic_care.models import Base
from services.chronic_care.settings import Settings
from shared.migrations_env import run_env

run_env(Base.metadata, Settings().database_url)
