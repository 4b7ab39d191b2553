"""E-services: service cards, online forms that become cases, receipts and tracking."""
