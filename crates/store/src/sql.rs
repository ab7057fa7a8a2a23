//! A small builder for statements whose shape depends on input (filters,
//! lists, multi-row inserts): SQL text with `$N` placeholders, numbered as
//! values are bound, which SQLite and PostgreSQL both accept.

use std::fmt::Write;

use sqlx::any::AnyArguments;
use sqlx::query::{Query, QueryAs, QueryScalar};
use sqlx::{Any, Arguments, Encode, Type};

use crate::Backend;

pub(crate) struct Sql<'q> {
    text: String,
    args: AnyArguments<'q>,
    n: usize,
    /// PostgreSQL takes `$N`. SQLite gets plain `?` (values bind in order of
    /// appearance): for a named or numbered parameter (`$N`, `?N`) binding
    /// asks SQLite for its name, a linear search per parameter — quadratic
    /// in a 500-row insert, two thirds of an import's time.
    numbered: bool,
}

impl<'q> Sql<'q> {
    pub fn new(backend: Backend, text: &str) -> Sql<'q> {
        Sql { text: text.to_owned(), args: AnyArguments::default(), n: 0, numbered: backend == Backend::Postgres }
    }

    /// Appends SQL text (never user input).
    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder bound to `value`.
    pub fn bind<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        self.n += 1;
        if self.numbered {
            let _ = write!(self.text, "${}", self.n);
        } else {
            self.text.push('?');
        }
        // Encoding into the Any driver's value list cannot fail for the
        // types it supports, which are the only ones `T` can be.
        let _ = self.args.add(value);
        self
    }

    /// Appends `$a, $b, …` bound to each value.
    pub fn list<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self {
        for (i, v) in values.into_iter().enumerate() {
            if i > 0 {
                self.text.push_str(", ");
            }
            self.bind(v);
        }
        self
    }

    /// Appends `(…), (…)`: one parenthesised row per item, filled by `row`.
    pub fn rows<I>(
        &mut self,
        items: impl IntoIterator<Item = I>,
        mut row: impl FnMut(&mut Row<'_, 'q>, I),
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            self.text.push_str(if i > 0 { ", (" } else { "(" });
            let mut r = Row { sql: self, first: true };
            row(&mut r, item);
            self.text.push(')');
        }
        self
    }

    pub fn query<'s>(&'s mut self) -> Query<'s, Any, AnyArguments<'s>>
    where
        'q: 's,
    {
        sqlx::query_with(&self.text, std::mem::take(&mut self.args))
    }

    pub fn query_as<'s, O>(&'s mut self) -> QueryAs<'s, Any, O, AnyArguments<'s>>
    where
        'q: 's,
        O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_as_with(&self.text, std::mem::take(&mut self.args))
    }

    pub fn query_scalar<'s, O>(&'s mut self) -> QueryScalar<'s, Any, O, AnyArguments<'s>>
    where
        'q: 's,
        (O,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        sqlx::query_scalar_with(&self.text, std::mem::take(&mut self.args))
    }
}

/// One row of a multi-row `VALUES` list.
pub(crate) struct Row<'a, 'q> {
    sql: &'a mut Sql<'q>,
    first: bool,
}

impl<'q> Row<'_, 'q> {
    pub fn bind<T: 'q + Encode<'q, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.sql.text.push_str(", ");
        }
        self.first = false;
        self.sql.bind(value);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut q = Sql::new(Backend::Postgres, "SELECT 1 FROM t WHERE a = ");
        q.bind(1_i64).push(" AND b IN (").list(["x", "y"]).push(")");
        assert_eq!(q.text, "SELECT 1 FROM t WHERE a = $1 AND b IN ($2, $3)");
        let mut q = Sql::new(Backend::Sqlite, "INSERT INTO t (a, b) VALUES ");
        q.rows([(1_i64, "a"), (2, "b")], |r, (n, s)| {
            r.bind(n).bind(s);
        });
        assert_eq!(q.text, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
    }
}
