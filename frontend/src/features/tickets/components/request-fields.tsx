import { TextAreaField, TextField } from '@/components/text-field';
import { TITLE_MAX, type RequestFieldErrors } from './request-validation';

type Props = {
  title: string;
  description: string;
  errors: RequestFieldErrors;
  onTitleChange: (title: string) => void;
  onDescriptionChange: (description: string) => void;
  /** Hints for a new request; an edit needs none. */
  hints?: boolean;
};

/** The two fields a requester writes: a title and a description, with their errors. */
export function RequestFields({ title, description, errors, onTitleChange, onDescriptionChange, hints = false }: Props) {
  return (
    <>
      <TextField
        label="Title"
        name="title"
        value={title}
        maxLength={TITLE_MAX}
        autoComplete="off"
        hint={hints ? 'A short summary, such as “Cannot download my invoice”.' : undefined}
        error={errors.title}
        onChange={(event) => onTitleChange(event.target.value)}
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={6}
        value={description}
        hint={hints ? 'What happened, what you expected, and anything that helps to reproduce it.' : undefined}
        error={errors.description}
        onChange={(event) => onDescriptionChange(event.target.value)}
      />
    </>
  );
}
