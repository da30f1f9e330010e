default_app_config = 'articles.apps.ArticlesConfig'
