"""Clientela's message catalogues (`<locale>/LC_MESSAGES/messages.po` and its `.mo`)."""
