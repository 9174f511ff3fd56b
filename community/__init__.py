"""Integration of django-machina (forums) and django-postman (messages).

Two Django apps live here so each owns its models and migrations:
`community.forums` and `community.messaging`.
"""
