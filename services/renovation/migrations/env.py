from services.renovation.models import Base
from services.renovation.settings import Settings
from shared.migrations_env import run_env

run_env(Base.metadata, Settings().database_url)
