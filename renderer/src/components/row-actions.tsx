// The edit and delete buttons at the end of a table row, named for what they act on.
import DeleteIcon from '@mui/icons-material/Delete';
import EditIcon from '@mui/icons-material/Edit';
import { IconButton, TableCell, Tooltip } from '@mui/material';
import { useTranslation } from 'react-i18next';

interface RowActionsProps {
  editLabel: string;
  deleteLabel: string;
  onEdit(): void;
  onDelete(): void;
}

export function RowActions({ editLabel, deleteLabel, onEdit, onDelete }: RowActionsProps) {
  const { t } = useTranslation();
  return (
    <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
      <Tooltip title={t('common.edit')}>
        <IconButton aria-label={editLabel} onClick={onEdit}>
          <EditIcon fontSize="small" />
        </IconButton>
      </Tooltip>
      <Tooltip title={t('common.delete')}>
        <IconButton aria-label={deleteLabel} onClick={onDelete}>
          <DeleteIcon fontSize="small" />
        </IconButton>
      </Tooltip>
    </TableCell>
  );
}
