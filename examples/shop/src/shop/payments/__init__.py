"""shop.payments — payment intents, captures and refunds.

Money is integer minor units with an ISO 4217 currency (v1: ``amount_minor`` +
``currency``; v2: ``{"amount": 1299, "currency": "EUR"}``). Every POST takes an
``Idempotency-Key``: the same key and body replay the stored answer (status included),
another body with it is a 422, and concurrent duplicates commit once (unique key).
Customers see only their own payments (another's is a 404). Other services charge and
refund through ``facades["payments"]`` (``PaymentsFacade``) or ``/internal/payments``.
Mounted by ``shop.payments.entrypoints.service.SERVICE``.
"""
