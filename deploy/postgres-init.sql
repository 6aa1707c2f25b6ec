-- The tracker store's database, next to the complaint store's (POSTGRES_DB=complaints). Same owner.
CREATE DATABASE tracker;
