"""Map descriptions: data in, a :class:`~bordermap.spec.MapSpec` out — symbols, labels,
popups, legend, credit; nothing drawn here."""
