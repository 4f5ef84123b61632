"""Who gets in: user tokens of the development issuer, an external OIDC issuer's tokens, and refusals."""

import base64
import json
import time

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI

from gateway.settings import Settings
from gateway.tests.support import bearer, serving, stub_service
from shared.demo_people import RESIDENT
from shared.settings import DEV_JWT_SECRET, DEV_PERSON_REF_KEY

PROD = {"environment": "production", "jwt_secret": "a-production-secret-0123456789abcdef",
        "internal_token_secret": "internal-production-secret-0123456789",
        "person_ref_key": "person-ref-production-key-0123456789"}


def _b64(obj) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def local_claims(**overrides) -> dict:
    now = int(time.time())
    return {"iss": "minsheng-gateway", "aud": "minsheng-api", "sub": "someone", "iat": now, "exp": now + 600,
            "roles": ["jobs"], **overrides}


async def refused(client, headers, expected_detail: str) -> None:
    r = await client.get("/api/v1/jobs/echo/x", headers=headers)
    assert r.status_code == 401, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["www-authenticate"].startswith("Bearer")
    assert expected_detail in r.json()["detail"], r.json()


async def test_bad_tokens_are_refused_before_reaching_the_service(make_gateway):
    async with serving(stub_service("jobs")) as (jobs,), make_gateway(routes={"jobs": jobs.url}) as client:
        await refused(client, {}, "authentication required")
        expired = jwt.encode(local_claims(iat=int(time.time()) - 7200, exp=int(time.time()) - 3600), DEV_JWT_SECRET)
        await refused(client, {"Authorization": f"Bearer {expired}"}, "expired")
        good = bearer("jobs")["Authorization"].split()[1]
        head, payload, sig = good.split(".")
        escalated = _b64({**json.loads(base64.urlsafe_b64decode(payload + "==")), "roles": ["admin"]})
        await refused(client, {"Authorization": f"Bearer {head}.{escalated}.{sig}"}, "signature")
        unsigned = f"{_b64({'alg': 'none', 'typ': 'JWT'})}.{_b64(local_claims(roles=['admin']))}."
        await refused(client, {"Authorization": f"Bearer {unsigned}"}, "algorithm")
        other_audience = jwt.encode(local_claims(aud="someone-else"), DEV_JWT_SECRET)
        await refused(client, {"Authorization": f"Bearer {other_audience}"}, "audience")
        other_issuer = jwt.encode(local_claims(iss="evil"), DEV_JWT_SECRET)
        await refused(client, {"Authorization": f"Bearer {other_issuer}"}, "issuer")
        wrong_key = jwt.encode(local_claims(), "another-secret-of-enough-length-000000")
        await refused(client, {"Authorization": f"Bearer {wrong_key}"}, "signature")
        no_expiry = jwt.encode({k: v for k, v in local_claims().items() if k != "exp"}, DEV_JWT_SECRET)
        await refused(client, {"Authorization": f"Bearer {no_expiry}"}, "exp")
        await refused(client, {"Authorization": "Basic YWRtaW46eA=="}, "scheme")
        await refused(client, {"Authorization": "Bearer not-a-jwt"}, "malformed")
        assert sum(jobs.app.state.calls.values()) == 0


async def test_demo_users_sign_in_and_their_roles_travel(make_gateway):
    async with serving(stub_service("renovation")) as (svc,), make_gateway(routes={"renovation": svc.url}) as client:
        r = await client.post("/api/v1/auth/token", data={"username": "resident", "password": "minsheng-demo"})
        assert r.status_code == 200, r.text
        assert r.headers["cache-control"] == "no-store"
        token = r.json()["access_token"]
        assert r.json()["token_type"] == "bearer" and r.json()["expires_in"] == 3600
        me = (await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})).json()
        assert me["roles"] == ["resident"]
        assert me["person_ref"] == RESIDENT.ref(DEV_PERSON_REF_KEY)
        seen = (await client.get("/api/v1/renovation/echo/me", headers={"Authorization": f"Bearer {token}"})).json()
        assert seen["principal"]["person_ref"] == RESIDENT.ref(DEV_PERSON_REF_KEY)
        for username in ("admin", "auditor", "renovation", "jobs", "jobs-approver", "community", "doctor"):
            r = await client.post("/api/v1/auth/token", data={"username": username, "password": "minsheng-demo"})
            assert r.status_code == 200, username


async def test_wrong_passwords_and_bad_forms(make_gateway):
    async with make_gateway() as client:
        for username, password in (("admin", "wrong"), ("nobody", "minsheng-demo")):
            r = await client.post("/api/v1/auth/token", data={"username": username, "password": password})
            assert r.status_code == 401
            assert r.json()["detail"] == "wrong username or password"  # the same whichever was wrong
        r = await client.post("/api/v1/auth/token", data={"username": "admin"})
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"


async def test_sign_in_attempts_are_limited_per_address(make_gateway):
    async with make_gateway(rate_limit_login="3/minute") as client:
        for _ in range(3):
            await client.post("/api/v1/auth/token", data={"username": "admin", "password": "guess"})
        r = await client.post("/api/v1/auth/token", data={"username": "admin", "password": "minsheng-demo"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1


async def test_in_production_the_local_issuer_is_off(make_gateway):
    async with make_gateway(**PROD) as client:
        r = await client.post("/api/v1/auth/token", data={"username": "admin", "password": "minsheng-demo"})
        assert r.status_code == 404
        token = bearer("admin", settings=client.settings)
        assert (await client.get("/api/v1/auth/me", headers=token)).status_code == 401


def test_production_refuses_the_development_jwt_secret():
    import pytest

    with pytest.raises(ValueError, match="MINSHENG_JWT_SECRET"):
        Settings(environment="production", internal_token_secret="x" * 40, person_ref_key="y" * 40)


def jwks_app(public_jwk: dict) -> FastAPI:
    app = FastAPI()
    app.state.fetches = 0

    @app.get("/jwks")
    async def jwks():
        app.state.fetches += 1
        return {"keys": [public_jwk]}

    return app


async def test_oidc_tokens_are_verified_against_the_issuers_keys(make_gateway):
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public_jwk = {**json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key())), "kid": "k1", "use": "sig",
                  "alg": "RS256"}
    issuer = "https://id.example.gov.cn/realms/minsheng"

    def oidc_token(**overrides) -> str:
        now = int(time.time())
        claims = {"iss": issuer, "aud": "minsheng", "sub": "user-77", "iat": now, "exp": now + 300,
                  "realm_access": {"roles": ["doctor", "made-up"]}, **overrides}
        return jwt.encode(claims, private, algorithm="RS256", headers={"kid": overrides.pop("kid", "k1")})

    care = stub_service("chronic-care", internal_secret=PROD["internal_token_secret"])
    async with serving(jwks_app(public_jwk), care) as (idp, svc), make_gateway(
            routes={"chronic-care": svc.url}, **PROD, oidc_issuer=issuer,
            oidc_jwks_url=f"{idp.url}/jwks", oidc_audience="minsheng",
            oidc_roles_claim="realm_access.roles") as client:
        r = await client.get("/api/v1/chronic-care/echo/p", headers={"Authorization": f"Bearer {oidc_token()}"})
        assert r.status_code == 200, r.text
        assert r.json()["principal"]["roles"] == ["doctor"]  # unknown roles are dropped
        assert r.json()["principal"]["subject"] == "user-77"
        for bad, why in ((oidc_token(aud="other"), "audience"), (oidc_token(exp=int(time.time()) - 100), "expired"),
                         (oidc_token(iss="https://elsewhere"), "issuer")):
            r = await client.get("/api/v1/chronic-care/echo/p", headers={"Authorization": f"Bearer {bad}"})
            assert r.status_code == 401 and why in r.json()["detail"], (why, r.json())
        # A token signed with the right kid but another key, and an HS256 token signed with the public key.
        intruder = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        forged = jwt.encode(jwt.decode(oidc_token(), options={"verify_signature": False}), intruder,
                            algorithm="RS256", headers={"kid": "k1"})
        r = await client.get("/api/v1/chronic-care/echo/p", headers={"Authorization": f"Bearer {forged}"})
        assert r.status_code == 401
        hs = f"{_b64({'alg': 'HS256', 'kid': 'k1'})}.{_b64({'iss': issuer, 'sub': 'x'})}.c2ln"
        r = await client.get("/api/v1/chronic-care/echo/p", headers={"Authorization": f"Bearer {hs}"})
        assert r.status_code == 401 and "algorithm" in r.json()["detail"]
        assert idp.app.state.fetches <= 2  # keys are cached, not fetched per request
