DROP TABLE notices;
DROP TABLE webhooks;
