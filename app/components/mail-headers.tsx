import { Fragment } from "react";

/** An email's extra headers as rows of a <dl>: the development inbox and the email gallery show them alike. */
export function HeaderRows({ headers }: { headers: [string, string][] }) {
  return (
    <>
      {headers.map(([name, value]) => (
        <Fragment key={name}>
          <dt>{name}</dt>
          <dd>
            <code>{value}</code>
          </dd>
        </Fragment>
      ))}
    </>
  );
}
