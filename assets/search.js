// placeholder until the search branch lands
