"""shop.identity — authentication and authorization for the shop's services.

Wiring, in the app factory (nothing happens at import)::

    settings = IdentitySettings(engine=engine, seed_users=(SeedUser(...),))
    app.include_router(build_identity_router(settings))        # no prefix
    app.add_exception_handler(IdentityProblem, identity_problem_handler)

    @router.get("/v1/orders", responses=AUTH_RESPONSES)
    def orders(principal: Annotated[Principal, require_scopes("orders:read")]): ...

The identity tables (``identity_*``) live on ``identity_metadata``: created at start-up
when ``settings.create_tables`` (the default), or by the app's Alembic migrations.
``optional_principal()`` operations should add ``openapi_extra=OPTIONAL_AUTH_OPENAPI``;
service-to-service operations use ``require_service(*scopes)`` (``X-API-Key``).

Staff console sessions are accepted by ``require_scopes`` with the scopes of the staff
member's roles; unsafe methods then also need ``X-CSRF-Token`` (SameSite=Strict cookie
plus a synchronizer token). A bearer token, when present, takes precedence.
"""

from shop.identity.principal import Principal
from shop.identity.problems import (
    AUTH_RESPONSES,
    PROBLEM_MEDIA_TYPE,
    IdentityProblem,
    identity_problem_handler,
    problem_responses,
)
from shop.identity.router import build_identity_router, identity_runtime
from shop.identity.runtime import IdentityRuntime
from shop.identity.scopes import ROLE_SCOPES, SCOPES
from shop.identity.security import (
    API_KEY_HEADER,
    CONSOLE_COOKIE,
    CSRF_HEADER,
    OPTIONAL_AUTH_OPENAPI,
    optional_principal,
    require_scopes,
    require_service,
)
from shop.identity.settings import (
    IdentitySettings,
    RateLimitPolicy,
    SeedApiKey,
    SeedClient,
    SeedUser,
)
from shop.identity.tables import identity_metadata

__all__ = [
    "API_KEY_HEADER",
    "AUTH_RESPONSES",
    "CONSOLE_COOKIE",
    "CSRF_HEADER",
    "OPTIONAL_AUTH_OPENAPI",
    "PROBLEM_MEDIA_TYPE",
    "ROLE_SCOPES",
    "SCOPES",
    "IdentityProblem",
    "IdentityRuntime",
    "IdentitySettings",
    "Principal",
    "RateLimitPolicy",
    "SeedApiKey",
    "SeedClient",
    "SeedUser",
    "build_identity_router",
    "identity_metadata",
    "identity_problem_handler",
    "identity_runtime",
    "optional_principal",
    "problem_responses",
    "require_scopes",
    "require_service",
]
