"""shop.platform — the kernel every shop service is built on.

Persistence (``database``, ``unit_of_work``, ``outbox``), messaging (``events``,
``bus_redis``, ``bus_nats``), HTTP conventions (``problems``, ``pagination``,
``concurrency``, ``http``, ``versioning``, ``health``), configuration (``settings``,
``defects``), service-to-service calls (``clients``) and the contract between a service
package and the app factory (``services``). Import the modules you need; this package
imports nothing at import time.
"""
