"""Demo users, one per role, with the password in MINSHENG_DEMO_PASSWORD (default ``minsheng-demo``).

``resident`` is shared/demo_people.RESIDENT (王秀英): the services' demo data know her by the same person_ref.
Idempotent: users that exist are left as they are.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.settings import Settings
from gateway.users.models import User
from gateway.users.passwords import hash_password
from shared.database import unit_of_work
from shared.demo_people import RESIDENT

# username -> (display name, roles)
DEMO_USERS = {
    "admin": ("区数据局管理员", ["admin"]),
    "auditor": ("区审计员", ["auditor"]),
    "renovation": ("住建局 孔然", ["renovation"]),
    "jobs": ("就业中心 经办人", ["jobs"]),
    "jobs-approver": ("就业中心 审批人", ["jobs-approver"]),
    "community": ("振宁社区 社工", ["community"]),
    "doctor": ("党山村卫生室 家庭医生", ["doctor"]),
    "resident": ("王秀英", ["resident"]),
}


async def load_demo(session_factory: async_sessionmaker[AsyncSession], settings: Settings) -> None:
    async with session_factory() as session:
        existing = set((await session.scalars(select(User.username))).all())
        missing = [name for name in DEMO_USERS if name not in existing]
        if not missing:
            return
        password_hash = hash_password(settings.demo_password.get_secret_value())
        ref = RESIDENT.ref(settings.person_ref_key.get_secret_value())
        async with unit_of_work(session):
            for username in missing:
                display, roles = DEMO_USERS[username]
                resident = username == "resident"
                session.add(User(username=username, display_name=display, password_hash=password_hash, roles=roles,
                                 person_ref=ref if resident else None))
