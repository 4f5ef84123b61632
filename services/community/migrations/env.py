from services.community.models import Base
from services.community.settings import Settings
from shared.migrations_env import run_env

run_env(Base.metadata, Settings().database_url)
