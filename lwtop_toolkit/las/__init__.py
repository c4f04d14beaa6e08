"""The LAS catalogue (what each LAS needs at the transition) and the roles of its staff."""
