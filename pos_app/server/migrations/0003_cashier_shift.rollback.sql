ALTER TABLE attempts DROP COLUMN shift;
ALTER TABLE attempts DROP COLUMN cashier;
