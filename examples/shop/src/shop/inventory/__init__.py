"""shop.inventory — products, stock per warehouse, reservations, bulk import and export."""
