"""The model: one module per entity (crossings and facilities, estimates, events, routes,
cases), each owning its schema and checks, and publishing's rules over them."""
