"""shop.orders — orders placed by a saga across inventory, allocation and payments.

Place: reserve stock → allocate each line → charge → confirm; a refusal undoes what was
done in reverse (refund, deallocate, release). The saga's log is persisted, every call
is repeatable with the same keys, events go through the outbox, and a background
``SagaResumer`` finishes sagas an outage or a crash left unfinished. Peers are reached
through ports (``service_layer.ports``) with in-process and HTTP adapters. Mounted by
``shop.orders.entrypoints.service.SERVICE``.
"""
