"""Plain-Python helpers of the addon: no ORM, importable and testable on their own."""
