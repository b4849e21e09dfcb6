"""shop.allocation — batches, order lines, allocation to the earliest suitable batch."""
