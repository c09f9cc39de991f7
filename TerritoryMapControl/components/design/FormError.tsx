/** The validation message of a design dialog's form. */
import * as React from "react";
import { MessageBar, MessageBarBody } from "@fluentui/react-components";

/** The form's validation message. */
export const FormError: React.FC<{ message: string | null }> = ({ message }) =>
  message ? (
    <MessageBar layout="multiline" intent="error" role="alert">
      <MessageBarBody>{message}</MessageBarBody>
    </MessageBar>
  ) : null;
