from services.jobs.models import Base
from services.jobs.settings import Settings
from shared.migrations_env import run_env

run_env(Base.metadata, Settings().database_url)
