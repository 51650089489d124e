def team_access(request):
    """The team in play and the user's role in it, for the navigation."""
    return {"access": getattr(request, "team_access", None)}
