DROP TABLE api_usage;
DROP TABLE events;
DROP TABLE attempts;
DROP TABLE login_failures;
DROP TABLE sessions;
DROP TABLE owners;
DROP TABLE tills;
DROP TABLE shop_settings;
