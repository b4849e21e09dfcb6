"""Contracts: validation of traffic against a spec, documentation accuracy, consumer-driven
contracts (Pact v3), versioning checks, schema migration testing and breaking-change
detection (`assay diff`).

Nothing is imported here: use the modules (`assay.contract.validator`,
`assay.contract.accuracy`, `assay.contract.pact`, `assay.contract.versions`,
`assay.contract.migrations`, `assay.contract.diff`) directly.
"""
