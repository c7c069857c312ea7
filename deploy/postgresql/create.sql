-- foodtrace's role and database. Run by setup.sh, which sets :role, :db and :password first.
-- Idempotent: creates what is missing, (re)sets the password and the role's limits.

SELECT format('CREATE ROLE %I LOGIN', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec

-- The service role may log in and own its database, nothing more.
SELECT format(
    'ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS '
    'CONNECTION LIMIT 200 PASSWORD %L', :'role', :'password') \gexec

SELECT format(
    'CREATE DATABASE %I OWNER %I ENCODING ''UTF8'' LC_COLLATE ''C'' LC_CTYPE ''C'' '
    'TEMPLATE template0', :'db', :'role')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec

SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'db') \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO %I', :'db', :'role') \gexec

-- A client that stops half-way through a transaction must not hold its locks for ever.
SELECT format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', :'role', '5min') \gexec
