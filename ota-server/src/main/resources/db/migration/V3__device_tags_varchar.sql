-- Device tags become settable and filterable; Hibernate binds String[] as varchar[], and
-- PostgreSQL has no containment operator between text[] and varchar[].
alter table device alter column tags type varchar(64)[];
alter table device alter column tags set default '{}';
create index device_tags on device using gin (tags);
