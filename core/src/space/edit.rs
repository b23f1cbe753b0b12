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

    /// Creates a record with a fresh id in `collection`.
    pub(crate) fn create(&mut self, collection: &'static str) -> Result<(Id, ObjId)> {
        let coll = self.collection(collection)?;
        let id = Id::random()?;
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
