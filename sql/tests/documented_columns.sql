-- Every column of every table, staging relation and mart is documented (COMMENT ON, Chinese / English).
select c.table_name, c.column_name
from duckdb_columns() as c
where c.schema_name = 'main'
    and c.database_name = current_database()
    and c.table_name not like 'duckdb\_%' escape '\'
    and c.table_name not like 'pragma\_%' escape '\'
    and c.table_name not like 'sqlite\_%' escape '\'
    and c.table_name not in (select view_name from duckdb_views() where internal)
    and (c.comment is null or c.comment = '')
