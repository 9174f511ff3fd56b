"""The specialists directory at /<lang>/specialists/ and the requests to specialists."""

app_name = "specialists"
urlpatterns = []
