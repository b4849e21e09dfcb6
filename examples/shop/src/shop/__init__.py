"""shop: the reference microservice system (inventory, allocation, payments) tested with assay."""
