//! One local edit: an automerge transaction plus the records it touched.

use automerge::{ObjId, ObjType, ROOT, transaction::Transaction};

use super::Touched;
use super::fields::get_obj;
use super::records::{Stamp, stamp_created, stamp_updated};
use crate::error::Result;
use crate::ids::Id;

/// The open automerge transaction of an edit.
pub(crate) struct Edit<'t, 'd> {
    pub tx: &'t mut Transaction<'d>,
    pub stamp: Stamp<'t>,
    pub touched: Vec<Touched>,
}

impl Edit<'_, '_> {
    fn collection(&mut self, name: &'static str) -> Result<ObjId> {
        Ok(match get_obj(self.tx, &ROOT, name, ObjType::Map) {
            Some(c) => c,
            None => {
                automerge::transaction::Transactable::put_object(self.tx, ROOT, name, ObjType::Map)?
            }
        })
    }

    /// The map of a collection itself (made if missing), for a
    /// collection that is one map of fields rather than records.
    pub(crate) fn collection_obj(&mut self, name: &'static str) -> Result<ObjId> {
        self.collection(name)
    }

    /// Creates a record with a fresh id in `collection`.
    pub(crate) fn create(&mut self, collection: &'static str) -> Result<(Id, ObjId)> {
        let id = Id::random()?;
        let obj = self.create_with_id(collection, &id)?;
        Ok((id, obj))
    }

    /// Opens an existing record for changes and marks it updated.
    pub(crate) fn update(&mut self, collection: &'static str, id: &Id) -> Result<ObjId> {
        let coll = self.collection(collection)?;
        let obj =
            get_obj(self.tx, &coll, id.as_str(), ObjType::Map).ok_or(crate::Error::Document)?;
        stamp_updated(self.tx, &obj, &self.stamp)?;
        self.touched.push(Touched {
            collection,
            id: id.clone(),
        });
        Ok(obj)
    }

    /// Creates a record under a given id (a record moving between spaces
    /// keeps its id). Stamps it as created now; the caller may restore the
    /// original stamps.
    pub(crate) fn create_with_id(&mut self, collection: &'static str, id: &Id) -> Result<ObjId> {
        let coll = self.collection(collection)?;
        let obj = automerge::transaction::Transactable::put_object(
            self.tx,
            &coll,
            id.as_str(),
            ObjType::Map,
        )?;
        stamp_created(self.tx, &obj, &self.stamp)?;
        self.touched.push(Touched {
            collection,
            id: id.clone(),
        });
        Ok(obj)
    }

    /// Writes a whole record (as read by `Space::record_value`) under its
    /// id, every field and nested list included, then stamps it updated.
    pub(crate) fn copy_record(
        &mut self,
        collection: &'static str,
        id: &Id,
        value: &automerge::hydrate::Value,
    ) -> Result<ObjId> {
        let coll = self.collection(collection)?;
        let automerge::hydrate::Value::Map(map) = value else {
            return Err(crate::Error::Document);
        };
        let obj = automerge::transaction::Transactable::put_object(
            self.tx,
            &coll,
            id.as_str(),
            ObjType::Map,
        )?;
        for (k, v) in map.iter() {
            put_value(self.tx, &obj, Prop::Key(k), &v.value)?;
        }
        stamp_updated(self.tx, &obj, &self.stamp)?;
        self.touched.push(Touched {
            collection,
            id: id.clone(),
        });
        Ok(obj)
    }

    /// Brings an existing copy of a record in step with `value` (as read
    /// by `Space::record_value` from where the record is kept), field by
    /// field: a field that differs is written again, one the source no
    /// longer has is removed, and fields named in `keep` (what others
    /// write on this copy) are left alone. Creates the copy if it is
    /// gone. Stamps it updated only when something changed.
    pub(crate) fn refresh_record(
        &mut self,
        collection: &'static str,
        id: &Id,
        value: &automerge::hydrate::Value,
        keep: &[&str],
    ) -> Result<()> {
        use automerge::transaction::Transactable as T;
        let automerge::hydrate::Value::Map(source) = value else {
            return Err(crate::Error::Document);
        };
        let coll = self.collection(collection)?;
        let Some(obj) = get_obj(self.tx, &coll, id.as_str(), ObjType::Map) else {
            self.copy_record(collection, id, value)?;
            return Ok(());
        };
        let current = match automerge::ReadDoc::hydrate(self.tx, &obj, None) {
            Ok(automerge::hydrate::Value::Map(m)) => m,
            _ => automerge::hydrate::Map::default(),
        };
        let stamps = ["updated_at", "updated_by"];
        let skip = |k: &str| keep.contains(&k) || stamps.contains(&k);
        let mut changed = false;
        for (k, v) in source.iter() {
            if skip(k) || current.get(k) == Some(&v.value) {
                continue;
            }
            put_value(self.tx, &obj, Prop::Key(k), &v.value)?;
            changed = true;
        }
        for (k, _) in current.iter() {
            if !skip(k) && source.get(k).is_none() {
                T::delete(self.tx, &obj, k.as_str())?;
                changed = true;
            }
        }
        if changed {
            stamp_updated(self.tx, &obj, &self.stamp)?;
            self.touched.push(Touched {
                collection,
                id: id.clone(),
            });
        }
        Ok(())
    }

    /// Deletes a record from this space's document (its history stays in
    /// the document, as automerge keeps it).
    pub(crate) fn delete(&mut self, collection: &'static str, id: &Id) -> Result<()> {
        let coll = self.collection(collection)?;
        automerge::transaction::Transactable::delete(self.tx, &coll, id.as_str())?;
        self.touched.push(Touched {
            collection,
            id: id.clone(),
        });
        Ok(())
    }
}

/// Where a value goes: a map key or the end of a list.
pub(crate) enum Prop<'a> {
    Key(&'a str),
    Append(usize),
}

pub(crate) fn put_value(
    tx: &mut Transaction<'_>,
    obj: &ObjId,
    at: Prop<'_>,
    v: &automerge::hydrate::Value,
) -> Result<()> {
    use automerge::hydrate::Value as V;
    use automerge::transaction::Transactable as T;
    let kind = match v {
        V::Scalar(s) => {
            match at {
                Prop::Key(k) => T::put(tx, obj, k, s.clone())?,
                Prop::Append(i) => T::insert(tx, obj, i, s.clone())?,
            }
            return Ok(());
        }
        V::Map(_) => ObjType::Map,
        V::List(_) => ObjType::List,
        V::Text(_) => ObjType::Text,
    };
    let child = match at {
        Prop::Key(k) => T::put_object(tx, obj, k, kind)?,
        Prop::Append(i) => T::insert_object(tx, obj, i, kind)?,
    };
    match v {
        V::Map(m) => {
            for (k, item) in m.iter() {
                put_value(tx, &child, Prop::Key(k), &item.value)?;
            }
        }
        V::List(l) => {
            for (i, item) in l.iter().enumerate() {
                put_value(tx, &child, Prop::Append(i), &item.value)?;
            }
        }
        V::Text(t) => {
            T::splice_text(tx, &child, 0, 0, &String::from(t))?;
        }
        V::Scalar(_) => {}
    }
    Ok(())
}
