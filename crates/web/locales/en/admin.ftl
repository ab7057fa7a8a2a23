## Administration and dashboard
