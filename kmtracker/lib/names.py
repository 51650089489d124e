"""How the product names a person who has an account."""


def display_name(user, missing=""):
    """A user's full name, else their username; `missing` when there is no user."""
    if user is None:
        return missing
    return user.get_full_name() or user.get_username()
