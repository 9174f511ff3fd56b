"""All projects (/<lang>/projects/) and the agenda (/<lang>/agenda/)."""

app_name = "projects"
urlpatterns = []
